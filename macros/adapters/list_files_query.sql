{#-
    A query whose first column lists the paths of the files in directory `path`
    (not recursive): DuckDB's glob(); on Spark the binaryFile data source (the file
    contents are not read when only the path is selected). Paths come back as
    `<path>/<file name>`.
-#}
{% macro list_files_query(path) %}
    {{ return(adapter.dispatch('list_files_query', 'crm_revenue')(path)) }}
{% endmacro %}

{% macro duckdb__list_files_query(path) %}
    select file from glob('{{ path }}/*')
{% endmacro %}

{% macro spark__list_files_query(path) %}
    select distinct '{{ path }}/' || element_at(split(path, '/'), -1) as file
    from binaryFile.`{{ path }}`
{% endmacro %}
