{#-
    amount / rate as an exact amount (amount_type), rounded half to even (as Python's
    Decimal.quantize), where the rate is units of the record's currency per one
    corporate-currency unit. DuckDB divides decimals in floating point, so there the
    division is done on integers (micro-units of the amount, 10^-12 units of the rate).
-#}
{% macro convert_to_corporate(amount, rate) %}
    {{ return(adapter.dispatch('convert_to_corporate', 'crm_revenue')(amount, rate)) }}
{% endmacro %}

{% macro default__convert_to_corporate(amount, rate) %}
    cast(cast({{ amount }} as {{ crm_revenue.amount_type() }}) / cast({{ rate }} as {{ crm_revenue.rate_type() }}) as {{ crm_revenue.amount_type() }})
{% endmacro %}

{% macro duckdb__convert_to_corporate(amount, rate) %}
    {%- set numerator = 'abs(cast(cast(' ~ amount ~ ' as ' ~ crm_revenue.amount_type() ~ ') * 1000000 as hugeint)) * 1000000000000' -%}
    {%- set denominator = 'cast(cast(' ~ rate ~ ' as ' ~ crm_revenue.rate_type() ~ ') * 1000000000000 as hugeint)' -%}
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
        ) * cast(0.000001 as {{ crm_revenue.amount_type() }})
    )
{% endmacro %}
