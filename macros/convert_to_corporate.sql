{#-
    amount / rate as an exact decimal(38, 6), rounded half away from zero, where the
    rate is units of the record's currency per one corporate-currency unit. DuckDB
    divides decimals in floating point, so there the division is done on integers.
-#}
{% macro convert_to_corporate(amount, rate) %}
    {{ return(adapter.dispatch('convert_to_corporate', 'crm_revenue')(amount, rate)) }}
{% endmacro %}

{% macro default__convert_to_corporate(amount, rate) %}
    cast(cast({{ amount }} as decimal(38, 6)) / cast({{ rate }} as decimal(38, 12)) as decimal(38, 6))
{% endmacro %}

{% macro duckdb__convert_to_corporate(amount, rate) %}
    (
        cast(
            sign({{ amount }}) * (
                (abs(cast(cast({{ amount }} as decimal(38, 6)) * 1000000 as hugeint)) * 2000000000000
                    + cast(cast({{ rate }} as decimal(38, 12)) * 1000000000000 as hugeint))
                // (2 * cast(cast({{ rate }} as decimal(38, 12)) * 1000000000000 as hugeint))
            ) as decimal(38, 0)
        ) * cast(0.000001 as decimal(38, 6))
    )
{% endmacro %}
