{#- The CRM objects whose export file must be present (from the raw-export contract). -#}
{% macro required_crm_objects() %}
    {%- set names = [] -%}
    {%- for name, spec in crm_revenue.crm_export_contract().items() if spec['required'] -%}
        {%- do names.append(name) -%}
    {%- endfor -%}
    {{ return(names) }}
{% endmacro %}
