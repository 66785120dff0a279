{#-
    Selects one CRM object as text columns named after the contract's API names
    (lower case), plus `_raw_row_number` (1-based position in the export) and
    `_source_file`. With `raw_path` set on DuckDB the object is read from
    `<raw_path>/<object>.csv|.parquet` (file name and column names matched
    case-insensitively); otherwise from the `crm` source table of the same name, so
    every model after this macro is adapter-neutral.
-#}
{% macro read_crm_export(object_name) %}
    {{ return(adapter.dispatch('read_crm_export', 'crm_revenue')(object_name)) }}
{% endmacro %}

{% macro default__read_crm_export(object_name) %}
    {%- set spec = crm_revenue.crm_export_contract()[object_name] -%}
    select
        {%- for column in spec['columns'] + crm_revenue.passthrough_columns(object_name) %}
        cast({{ adapter.quote(column) }} as {{ dbt.type_string() }}) as {{ column | lower }},
        {%- endfor %}
        row_number() over (order by 1) as _raw_row_number,
        '{{ object_name }}' as _source_file
    from {{ source('crm', object_name) }}
{% endmacro %}

{% macro duckdb__read_crm_export(object_name) %}
    {%- set spec = crm_revenue.crm_export_contract()[object_name] -%}
    {%- set raw_path = var('raw_path', '') -%}
    {%- if not raw_path -%}
        {{ return(crm_revenue.default__read_crm_export(object_name)) }}
    {%- endif -%}
    {%- set found = crm_revenue.find_crm_export_file(raw_path, object_name) if execute else none -%}
    {%- if found is none -%}
        {#- parse time, or an optional export that is absent: an empty, typed relation -#}
        {%- if execute and spec['required'] -%}
            {{ exceptions.raise_compiler_error(
                "Required CRM export '" ~ object_name ~ "' not found: expected "
                ~ raw_path ~ "/" ~ object_name ~ ".csv or .parquet (var raw_path='" ~ raw_path ~ "').") }}
        {%- endif %}
    select
        {%- for column in spec['columns'] + crm_revenue.passthrough_columns(object_name) %}
        cast(null as varchar) as {{ column | lower }},
        {%- endfor %}
        cast(null as bigint) as _raw_row_number,
        cast(null as varchar) as _source_file
    where false
    {%- else -%}
        {%- set reader = crm_revenue.crm_export_reader(found) -%}
        {%- set present = {} -%}
        {%- for row in run_query("describe select * from " ~ reader) -%}
            {%- do present.update({row[0] | lower: row[0]}) -%}
        {%- endfor -%}
        {%- set missing = [] -%}
        {%- for column in spec['must_have'] + crm_revenue.passthrough_columns(object_name) if column | lower not in present -%}
            {%- do missing.append(column) -%}
        {%- endfor -%}
        {%- if missing -%}
            {{ exceptions.raise_compiler_error(
                "CRM export " ~ found ~ " lacks required column(s) " ~ missing | join(', ')
                ~ "; it has: " ~ present.values() | list | join(', ')) }}
        {%- endif %}
    select
        {%- for column in spec['columns'] + crm_revenue.passthrough_columns(object_name) %}
        {%- if column | lower in present %}
        nullif(trim(cast("{{ present[column | lower] }}" as varchar)), '') as {{ column | lower }},
        {%- else %}
        cast(null as varchar) as {{ column | lower }},
        {%- endif %}
        {%- endfor %}
        row_number() over () as _raw_row_number,
        '{{ found }}' as _source_file
    from {{ reader }}
    {%- endif -%}
{% endmacro %}
