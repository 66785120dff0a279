{#- The SQL type of every amount (record and corporate currency): an exact decimal with 6 places. -#}
{% macro amount_type() %}decimal(38, 6){% endmacro %}
