{#- True for an integer, or a string of decimal digits (vars rendered from env_var are text); false for booleans. -#}
{% macro is_integer_value(value) %}
    {{ return(
        (value is integer)
        or (value is string and modules.re.fullmatch('[+-]?[0-9]+', value.strip()) is not none)
    ) }}
{% endmacro %}
