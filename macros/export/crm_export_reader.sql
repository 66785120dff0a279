{#-
    What to select from to read one export file, every column as text. Adapter-dispatched:
    on DuckDB a table function; on Spark, which has no read_csv, a temporary view over its
    CSV or Parquet data source, created when this is called (at execution).
    On DuckDB CSV: double-quote quoting (quoted fields may hold the delimiter, doubled quotes
    and line breaks) and the delimiter and encoding csv_dialect finds in the file (comma,
    semicolon, tab or pipe; UTF-8 with or without BOM, or Latin-1).
-#}
{% macro crm_export_reader(file_path) %}
    {{ return(adapter.dispatch('crm_export_reader', 'crm_revenue')(file_path)) }}
{% endmacro %}

{% macro duckdb__crm_export_reader(file_path) %}
    {%- if file_path | lower | replace('.parquet', '') != file_path | lower -%}
        {{ return("read_parquet('" ~ file_path ~ "')") }}
    {%- else -%}
        {%- set dialect = crm_revenue.csv_dialect(file_path) -%}
        {{ return("read_csv('" ~ file_path ~ "', header = true, delim = '" ~ dialect['delim']
            ~ "', quote = '\"', escape = '\"', encoding = '" ~ dialect['encoding']
            ~ "', all_varchar = true)") }}
    {%- endif -%}
{% endmacro %}

{% macro spark__crm_export_reader(file_path) %}
    {%- set file_name = file_path.replace('\\', '/').split('/')[-1] | lower -%}
    {%- set view_name = 'crm_export__' ~ modules.re.sub('[^a-z0-9_]', '_', file_name) -%}
    {%- if file_name.endswith('.parquet') -%}
        {%- set data_source = "parquet options (path '" ~ file_path ~ "')" -%}
    {%- else -%}
        {%- set data_source = "csv options (path '" ~ file_path
            ~ "', header 'true', sep ',', quote '\"', escape '\"', multiLine 'true', inferSchema 'false')" -%}
    {%- endif -%}
    {%- do run_query("create or replace temporary view " ~ view_name ~ " using " ~ data_source) -%}
    {{ return(view_name) }}
{% endmacro %}
