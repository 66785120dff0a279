{#- The `as_of_date` var as a date; today (UTC) when the var is null. -#}
{% macro as_of_date() %}
    {%- set value = var('as_of_date', none) -%}
    {%- if value is none or value == '' -%}
    current_date
    {%- else -%}
    cast('{{ value }}' as date)
    {%- endif -%}
{% endmacro %}
