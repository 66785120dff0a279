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
    Spark: the same double quotient, converted to decimal(38, 15) the way DuckDB converts it
    (round(q * 10^15) of the binary value; Spark's own cast goes through the shortest decimal
    text, which differs in the last digits). The integer is split in two exact halves, then
    its digits get the decimal point (Spark's decimal division keeps only 6 decimals here).
-#}
{% macro spark__precise_ratio(numerator, denominator) %}
    {%- set scaled = 'round(cast(' ~ numerator ~ ' as double) / nullif(cast(' ~ denominator ~ ' as double), 0) * 1e15)' -%}
    {%- set high = 'floor(' ~ scaled ~ ' / 4294967296D)' -%}
    {%- set whole = '(cast(cast(' ~ high ~ ' as bigint) as decimal(38, 0)) * cast(4294967296 as decimal(38, 0)) + cast(cast('
        ~ scaled ~ ' - ' ~ high ~ ' * 4294967296D as bigint) as decimal(38, 0)))' -%}
    {%- set text = 'cast(abs(' ~ whole ~ ') as string)' -%}
    {%- set digits = 'lpad(' ~ text ~ ', greatest(16, length(' ~ text ~ ')), \'0\')' -%}
    cast(concat(
        case when {{ whole }} < 0 then '-' else '' end,
        substr({{ digits }}, 1, length({{ digits }}) - 15), '.', substr({{ digits }}, length({{ digits }}) - 14)
    ) as decimal(38, 15))
{% endmacro %}
