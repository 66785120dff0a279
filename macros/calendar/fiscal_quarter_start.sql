{#-
    The first day of the fiscal quarter containing a date or timestamp, or of the
    quarter `quarters_after` quarters later (1 = the next quarter's start, i.e. the
    exclusive end of the quarter). Fiscal quarters start in the months congruent to
    `fiscal_year_start_month` - 1 (mod 3). This macro and the calendar models
    (int_fiscal_quarters, int_fiscal_months) are the only places quarter boundaries are
    computed; everything else joins the calendar or calls this macro.
-#}
{% macro fiscal_quarter_start(expression, quarters_after=0) %}
    {%- set offset = (var('fiscal_year_start_month') | int - 1) % 3 -%}
    {%- if offset == 0 -%}
    {%- set quarter_start = dbt.date_trunc('quarter', expression) -%}
    {%- else -%}
    {%- set quarter_start = dbt.dateadd('month', offset, dbt.date_trunc('quarter', dbt.dateadd('month', -offset, expression))) -%}
    {%- endif -%}
    {%- if quarters_after | int != 0 -%}
    {%- set quarter_start = dbt.dateadd('month', 3 * (quarters_after | int), quarter_start) -%}
    {%- endif -%}
    cast({{ quarter_start }} as date)
{% endmacro %}
