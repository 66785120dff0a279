{#-
    numerator / denominator as a decimal(18, 6) share, null when the denominator is
    0 or null. Used for every conversion rate and growth rate of the funnel marts.
    Divides decimals, not dbt.type_float() (DuckDB's 4-byte float put 63/67 at 0.940298):
    DuckDB divides them in double precision, Spark exactly, both then round to 6 places.
-#}
{% macro safe_ratio(numerator, denominator) %}
    cast(
        cast({{ numerator }} as {{ dbt.type_numeric() }})
        / nullif(cast({{ denominator }} as {{ dbt.type_numeric() }}), 0)
        as decimal(18, 6)
    )
{% endmacro %}
