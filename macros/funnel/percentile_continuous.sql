{#-
    Aggregate: the continuous (interpolated) percentile `fraction` (0-1) of
    `expression` over the group; nulls are ignored. dbt has no cross-database macro
    for it, so it dispatches: the ANSI ordered-set form by default, quantile_cont on DuckDB.
-#}
{% macro percentile_continuous(expression, fraction) %}
    {{ return(adapter.dispatch('percentile_continuous', 'crm_revenue')(expression, fraction)) }}
{% endmacro %}

{% macro default__percentile_continuous(expression, fraction) %}
    percentile_cont({{ fraction }}) within group (order by {{ expression }})
{% endmacro %}

{% macro duckdb__percentile_continuous(expression, fraction) %}
    quantile_cont({{ expression }}, {{ fraction }})
{% endmacro %}
