{#-
    The raw-export contract of one CRM object, read from its single home: the `crm` source
    in models/staging/crm/_crm__sources.yml (table meta `crm_required`; per column, in order,
    meta `crm_type` and `crm_required`). Returns {'required': bool, 'columns': [API names],
    'must_have': [API names], 'types': {API name: type}}. The graph is only known at
    execution; while dbt parses, an empty placeholder is returned (the SQL is not run then).
-#}
{% macro crm_export_contract(object_name) %}
    {%- set contract = {'required': false, 'columns': [], 'must_have': [], 'types': {}} -%}
    {%- if not execute -%}
        {{ return(contract) }}
    {%- endif -%}
    {%- set matches = graph.sources.values()
            | selectattr('package_name', 'equalto', 'crm_revenue')
            | selectattr('source_name', 'equalto', 'crm')
            | selectattr('name', 'equalto', object_name) | list -%}
    {%- if not matches -%}
        {{ exceptions.raise_compiler_error(
            "CRM object '" ~ object_name ~ "' is not in the raw-export contract (the crm source in "
            ~ "models/staging/crm/_crm__sources.yml)") }}
    {%- endif -%}
    {%- do contract.update({'required': (matches[0].meta or {}).get('crm_required', false)}) -%}
    {%- for column in matches[0].columns.values() -%}
        {%- do contract['columns'].append(column.name) -%}
        {%- if (column.meta or {}).get('crm_required', false) -%}
            {%- do contract['must_have'].append(column.name) -%}
        {%- endif -%}
        {%- do contract['types'].update({column.name: (column.meta or {}).get('crm_type', 'text')}) -%}
    {%- endfor -%}
    {{ return(contract) }}
{% endmacro %}
