{#- The table function that reads one export file (CSV: every column as text). Adapter-dispatched. -#}
{% macro crm_export_reader(file_path) %}
    {{ return(adapter.dispatch('crm_export_reader', 'crm_revenue')(file_path)) }}
{% endmacro %}

{% macro duckdb__crm_export_reader(file_path) %}
    {%- if file_path | lower | replace('.parquet', '') != file_path | lower -%}
        {{ return("read_parquet('" ~ file_path ~ "')") }}
    {%- else -%}
        {{ return("read_csv('" ~ file_path ~ "', header = true, delim = ',', quote = '\"', escape = '\"', all_varchar = true)") }}
    {%- endif -%}
{% endmacro %}
