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

{#-
    DuckDB: decimal division is floating point and hugeint division is slow (about 1 us a
    row), so the quotient in micro-units is estimated in double precision, corrected by
    at most one with exact decimal arithmetic (remainder = |amount| - q * rate / 10^6),
    then rounded half to even on that exact remainder. The estimate is within one when
    |amount / rate| < 10^9 (the guard); larger quotients take the exact integer route.
-#}
{% macro duckdb__convert_to_corporate(amount, rate) %}
    {%- set amount_type = crm_revenue.amount_type() -%}
    {%- set exact_amount = 'abs(cast(' ~ amount ~ ' as ' ~ amount_type ~ '))' -%}
    {%- set unit = '(cast(' ~ rate ~ ' as ' ~ crm_revenue.rate_type() ~ ') * cast(0.000001 as ' ~ amount_type ~ '))' -%}
    {%- set estimate = 'cast(floor(abs(cast(' ~ amount ~ ' as double)) / cast(' ~ rate ~ ' as double) * 1000000) as decimal(38, 0))' -%}
    {%- set estimate_remainder = '(' ~ exact_amount ~ ' - ' ~ estimate ~ ' * ' ~ unit ~ ')' -%}
    {%- set quotient = '(' ~ estimate ~ ' + case when ' ~ estimate_remainder ~ ' >= ' ~ unit ~ ' then 1 when ' ~ estimate_remainder ~ ' < 0 then -1 else 0 end)' -%}
    {%- set remainder = '(' ~ exact_amount ~ ' - ' ~ quotient ~ ' * ' ~ unit ~ ')' -%}
    {%- set numerator = 'abs(cast(cast(' ~ amount ~ ' as ' ~ amount_type ~ ') * 1000000 as hugeint)) * 1000000000000' -%}
    {%- set denominator = 'cast(cast(' ~ rate ~ ' as ' ~ crm_revenue.rate_type() ~ ') * 1000000000000 as hugeint)' -%}
    (
        case
            when abs(cast({{ amount }} as double)) < cast({{ rate }} as double) * 1000000000 then
                cast(
                    sign({{ amount }}) * (
                        {{ quotient }}
                        + case
                            when 2 * {{ remainder }} > {{ unit }} then 1
                            when 2 * {{ remainder }} = {{ unit }} and {{ quotient }} % 2 = 1 then 1
                            else 0
                        end
                    ) as decimal(38, 0)
                ) * cast(0.000001 as {{ amount_type }})
            else
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
                ) * cast(0.000001 as {{ amount_type }})
        end
    )
{% endmacro %}

{#-
    Spark: the same integer arithmetic on decimal(38, 0) (exact: % and a division that
    leaves no remainder), since Spark's decimal division rounds half up.
-#}
{% macro spark__convert_to_corporate(amount, rate) %}
    {%- set numerator = 'cast(cast(abs(cast(' ~ amount ~ ' as ' ~ crm_revenue.amount_type() ~ ')) * 1000000 as decimal(38, 0)) * 1000000000000 as decimal(38, 0))' -%}
    {%- set denominator = 'cast(cast(' ~ rate ~ ' as ' ~ crm_revenue.rate_type() ~ ') * 1000000000000 as decimal(38, 0))' -%}
    {%- set remainder = '(' ~ numerator ~ ') % (' ~ denominator ~ ')' -%}
    {%- set quotient = 'cast(((' ~ numerator ~ ') - (' ~ remainder ~ ')) / (' ~ denominator ~ ') as decimal(38, 0))' -%}
    (
        cast(
            case when {{ amount }} < 0 then -1 else 1 end * (
                {{ quotient }}
                + case
                    when 2 * ({{ remainder }}) > ({{ denominator }}) then 1
                    when 2 * ({{ remainder }}) = ({{ denominator }}) and ({{ quotient }}) % 2 = 1 then 1
                    else 0
                end
            ) as decimal(38, 0)
        ) * cast(0.000001 as {{ crm_revenue.amount_type() }})
    )
{% endmacro %}
