{#-
    amount / rate as an exact decimal(38, 6), rounded half to even (as Python's
    Decimal.quantize), where the rate is units of the record's currency per one
    corporate-currency unit. DuckDB divides decimals in floating point, so there the
    division is done on integers (micro-units of the amount, 10^-12 units of the rate).
-#}
{% macro convert_to_corporate(amount, rate) %}
    {{ return(adapter.dispatch('convert_to_corporate', 'crm_revenue')(amount, rate)) }}
{% endmacro %}

{% macro default__convert_to_corporate(amount, rate) %}
    cast(cast({{ amount }} as decimal(38, 6)) / cast({{ rate }} as decimal(38, 12)) as decimal(38, 6))
{% endmacro %}

{% macro duckdb__convert_to_corporate(amount, rate) %}
    {%- set numerator = 'abs(cast(cast(' ~ amount ~ ' as decimal(38, 6)) * 1000000 as hugeint)) * 1000000000000' -%}
    {%- set denominator = 'cast(cast(' ~ rate ~ ' as decimal(38, 12)) * 1000000000000 as hugeint)' -%}
    (
        cast(
            sign({{ amount }}) * (
                ({{ numerator }}) // ({{ denominator }})
                + case
                    when 2 * (({{ numerator }}) % ({{ denominator }})) > ({{ denominator }}) then 1
                    when 2 * (({{ numerator }}) % ({{ denominator }})) = ({{ denominator }})
                        and (({{ numerator }}) // ({{ denominator }})) % 2 = 1 then 1
                    else 0
                end
            ) as decimal(38, 0)
        ) * cast(0.000001 as decimal(38, 6))
    )
{% endmacro %}
