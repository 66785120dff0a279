{#-
    The raw text values of an export row as a JSON object keyed by API name, plus the
    bookkeeping columns the reader adds (for the audit).
-#}
{% macro raw_values_json(object_name) %}
    {{ return(adapter.dispatch('raw_values_json', 'crm_revenue')(object_name)) }}
{% endmacro %}

{% macro default__raw_values_json(object_name) %}
    {#- plain concatenation: quotes inside values are not escaped (adapters with a JSON function override this) -#}
    {%- set columns = crm_revenue.crm_export_contract(object_name)['columns']
            + crm_revenue.crm_bookkeeping_columns(object_name) | list -%}
    concat('{'
    {%- for column in columns -%}
        , '"{{ column }}": "', coalesce({{ column | lower }}, ''), '"'{% if not loop.last %}, ', '{% endif %}
    {%- endfor -%}
    , '}')
{% endmacro %}

{% macro duckdb__raw_values_json(object_name) %}
    {%- set columns = crm_revenue.crm_export_contract(object_name)['columns']
            + crm_revenue.crm_bookkeeping_columns(object_name) | list -%}
    cast(json_object(
        {%- for column in columns %}
        '{{ column }}', {{ column | lower }}{% if not loop.last %},{% endif %}
        {%- endfor %}
    ) as varchar)
{% endmacro %}



{% macro spark__raw_values_json(object_name) %}
    {%- set columns = crm_revenue.crm_export_contract(object_name)['columns'] -%}
    to_json(named_struct(
        {%- for column in columns %}
        '{{ column }}', {{ column | lower }}{% if not loop.last %},{% endif %}
        {%- endfor %}
    ), map('ignoreNullFields', 'false'))
{% endmacro %}

