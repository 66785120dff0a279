{#- A raw value as trimmed text, empty text as null: the cleaning every adapter applies. -#}
{% macro clean_text(expression) %}
    nullif(trim(cast({{ expression }} as {{ dbt.type_string() }})), '')
{% endmacro %}
