{#-
    A canonical stage's stage_order or stage_group (attribute) as a SQL expression of
    a column holding the stage name; null for a name that is not a canonical stage.
-#}
{% macro canonical_stage_attribute(stage_column, attribute) %}
    case {{ stage_column }}
        {%- for stage in crm_revenue.canonical_stages() %}
        when '{{ stage.name }}' then {{ loop.index if attribute == 'stage_order' else "'" ~ stage[attribute] ~ "'" }}
        {%- endfor %}
    end
{% endmacro %}
