{#- True for a number, or a string holding a plain decimal number; false for booleans. -#}
{% macro is_number_value(value) %}
    {{ return(
        (value is number and value is not boolean)
        or (value is string
            and modules.re.fullmatch('[+-]?([0-9]+([.][0-9]*)?|[.][0-9]+)([eE][+-]?[0-9]+)?', value.strip()) is not none)
    ) }}
{% endmacro %}
