{#-
    Returns the path of `<object>.csv` or `<object>.parquet` in `raw_path` (file
    name matched case-insensitively), none when absent; raises when both exist.
    Adapter-dispatched: listing a directory is engine-specific.
-#}
{% macro find_crm_export_file(raw_path, object_name) %}
    {{ return(adapter.dispatch('find_crm_export_file', 'crm_revenue')(raw_path, object_name)) }}
{% endmacro %}

{% macro default__find_crm_export_file(raw_path, object_name) %}
    {{ exceptions.raise_compiler_error(
        "Reading CRM export files is not implemented on adapter '" ~ adapter.type() ~ "': load the objects "
        ~ "into tables and set raw_path: '' (or add a " ~ adapter.type() ~ "__find_crm_export_file and "
        ~ adapter.type() ~ "__crm_export_reader macro).") }}
{% endmacro %}

{% macro duckdb__find_crm_export_file(raw_path, object_name) %}
    {%- set listing = run_query(crm_revenue.list_files_query(raw_path)) -%}
    {%- set matches = [] -%}
    {%- for row in listing -%}
        {%- set name = row[0].replace('\\', '/').split('/')[-1] | lower -%}
        {%- if name in [object_name ~ '.csv', object_name ~ '.parquet'] -%}
            {%- do matches.append(row[0]) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- if matches | length > 1 -%}
        {{ exceptions.raise_compiler_error(
            "Ambiguous CRM export '" ~ object_name ~ "': found " ~ matches | join(' and ')
            ~ "; keep one file per object in " ~ raw_path) }}
    {%- endif -%}
    {{ return(matches[0] if matches else none) }}
{% endmacro %}

{#- Spark: the same matching; list_files_query lists the directory with Spark's binaryFile source. -#}
{% macro spark__find_crm_export_file(raw_path, object_name) %}
    {{ return(crm_revenue.duckdb__find_crm_export_file(raw_path, object_name)) }}
{% endmacro %}
