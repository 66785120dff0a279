{#-
    The first day of the fiscal quarter containing a date or timestamp. Fiscal quarters
    start in the months congruent to `fiscal_year_start_month` - 1 (mod 3). This is the
    only place quarter boundaries are computed; everything else joins the calendar.
-#}
{% macro fiscal_quarter_start(expression) %}
    {%- set offset = (var('fiscal_year_start_month') | int - 1) % 3 -%}
    {%- if offset == 0 -%}
    cast({{ dbt.date_trunc('quarter', expression) }} as date)
    {%- else -%}
    cast({{ dbt.dateadd('month', offset, dbt.date_trunc('quarter', dbt.dateadd('month', -offset, expression))) }} as date)
    {%- endif -%}
{% endmacro %}
