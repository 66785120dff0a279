{#-
    The raw-export contract, read from its single home: the `crm` source in
    models/staging/crm/_crm__sources.yml (the tables with meta `crm_required`; per column, in
    order, meta `crm_type` and `crm_required`). For one object: {'required': bool,
    'columns': [API names], 'must_have': [API names], 'types': {API name: type}}; without
    an object name: {object name: that dict} for every contract object. The graph is only
    known at execution; while dbt parses, and in dbt unit tests (whose graph is empty), an
    empty placeholder is returned (`known` false). `opportunity_version` (the scd2 shape's versioned opportunity table) has the
    opportunity's contract.
-#}
{% macro crm_export_contract(object_name=none) %}
    {%- if not execute or 'sources' not in graph -%}
        {{ return({'required': false, 'columns': [], 'must_have': [], 'types': {}, 'known': false}
            if object_name else {}) }}
    {%- endif -%}
    {%- set contracts = {} -%}
    {%- for node in graph.sources.values()
            if node.package_name == 'crm_revenue' and node.source_name == 'crm'
            and 'crm_required' in (node.meta or {}) -%}
        {%- set contract = {'required': node.meta['crm_required'], 'columns': [], 'must_have': [],
                'types': {}, 'known': true} -%}
        {%- for column in node.columns.values() -%}
            {%- do contract['columns'].append(column.name) -%}
            {%- if (column.meta or {}).get('crm_required', false) -%}
                {%- do contract['must_have'].append(column.name) -%}
            {%- endif -%}
            {%- do contract['types'].update({column.name: (column.meta or {}).get('crm_type', 'text')}) -%}
        {%- endfor -%}
        {%- do contracts.update({node.name: contract}) -%}
    {%- endfor -%}
    {%- if object_name is none -%}
        {{ return(contracts) }}
    {%- endif -%}
    {%- set name = 'opportunity' if object_name == 'opportunity_version' else object_name -%}
    {%- if name not in contracts -%}
        {{ exceptions.raise_compiler_error(
            "CRM object '" ~ object_name ~ "' is not in the raw-export contract (the crm source in "
            ~ "models/staging/crm/_crm__sources.yml)") }}
    {%- endif -%}
    {{ return(contracts[name]) }}
{% endmacro %}
