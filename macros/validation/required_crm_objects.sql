{#-
    The CRM objects whose export file must be present (from the raw-export contract; in
    source_shape scd2 there is no opportunity_history).
-#}
{% macro required_crm_objects() %}
    {%- set names = [] -%}
    {%- set shape = crm_revenue.crm_source_shape() -%}
    {%- for name, spec in crm_revenue.crm_export_contract().items()
            if spec['required'] and not (shape == 'scd2' and name == 'opportunity_history') -%}
        {%- do names.append(name) -%}
    {%- endfor -%}
    {{ return(names) }}
{% endmacro %}
