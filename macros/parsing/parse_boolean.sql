{#- Parses `true`/`false` (any case) and `1`/`0`; anything else is null. -#}
{% macro parse_boolean(expression) %}
    case
        when lower({{ expression }}) in ('true', '1') then true
        when lower({{ expression }}) in ('false', '0') then false
    end
{% endmacro %}
