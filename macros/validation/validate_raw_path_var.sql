{#-
    raw_path is '' (read the `crm` source tables) or, on DuckDB, a directory holding a
    file for every required CRM object (<object>.csv or .parquet). Single quotes are
    refused: the path is spliced into DuckDB's glob() and read_csv().
-#}
{% macro validate_raw_path_var(value) %}
    {%- set allowed = "'' (read the crm source tables) or a directory holding the required CRM export files ("
        ~ crm_revenue.required_crm_objects() | join(', ') ~ ", each as <object>.csv or .parquet)" -%}
    {%- if value is none or value == '' -%}
        {{ return('') }}
    {%- endif -%}
    {%- if value is not string or "'" in value -%}
        {{ crm_revenue.invalid_var('raw_path', value, allowed ~ ", a path without single quotes") }}
    {%- endif -%}
    {%- if execute and target.type == 'duckdb' -%}
        {%- set missing = [] -%}
        {%- for object_name in crm_revenue.required_crm_objects()
            if crm_revenue.find_crm_export_file(value, object_name) is none -%}
            {%- do missing.append(object_name) -%}
        {%- endfor -%}
        {%- if missing -%}
            {%- set found = run_query("select count(*) from glob('" ~ value ~ "/*')").columns[0].values()[0] -%}
            {%- set problems = [] -%}
            {%- for object_name in missing -%}
                {%- do problems.append("Required CRM export '" ~ object_name ~ "' not found: expected "
                    ~ value ~ "/" ~ object_name ~ ".csv or .parquet") -%}
            {%- endfor -%}
            {{ crm_revenue.invalid_var('raw_path', value, allowed ~ "; "
                ~ (problems | join('; ') if found else "the directory does not exist or holds no files")) }}
        {%- endif -%}
    {%- endif -%}
    {{ return('') }}
{% endmacro %}
