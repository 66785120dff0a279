{#- The SQL type of currency conversion rates: an exact decimal with 12 places. -#}
{% macro rate_type() %}decimal(38, 12){% endmacro %}
