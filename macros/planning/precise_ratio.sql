{#-
    numerator / denominator as a decimal(38, 15), null when the denominator is 0 or
    null: the planning ratios and quotients, precise enough that an amount divided by a
    ratio is right to the cent and beyond (safe_ratio's decimal(18, 6) is not). DuckDB
    divides decimals in floating point, so there the division runs in double precision
    (about 16 significant digits: 15 decimals keep a ratio below 10 clean) before the cast; elsewhere in decimals.
-#}
{% macro precise_ratio(numerator, denominator) %}
    {{ return(adapter.dispatch('precise_ratio', 'crm_revenue')(numerator, denominator)) }}
{% endmacro %}

{% macro default__precise_ratio(numerator, denominator) %}
    cast(
        cast({{ numerator }} as decimal(38, 15)) / nullif(cast({{ denominator }} as decimal(38, 15)), 0)
        as decimal(38, 15)
    )
{% endmacro %}

{% macro duckdb__precise_ratio(numerator, denominator) %}
    cast(
        cast({{ numerator }} as double) / nullif(cast({{ denominator }} as double), 0)
        as decimal(38, 15)
    )
{% endmacro %}

{#-
    Spark's decimal division keeps only 6 decimals at this precision (its result scale
    shrinks to fit 38 digits): divide in double precision, as on DuckDB.
-#}
{% macro spark__precise_ratio(numerator, denominator) %}
    {{ return(crm_revenue.duckdb__precise_ratio(numerator, denominator)) }}
{% endmacro %}

