{#- True when a raw text value is present but its parsed value is null. -#}
{% macro is_unparseable(raw_expression, parsed_expression) %}
    ({{ raw_expression }} is not null and {{ parsed_expression }} is null)
{% endmacro %}
