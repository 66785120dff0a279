{#-
    numerator / denominator as a decimal(18, 6) share, null when the denominator is
    0 or null. Used for every conversion rate and growth rate of the funnel marts.
-#}
{% macro safe_ratio(numerator, denominator) %}
    cast(
        cast({{ numerator }} as {{ dbt.type_float() }})
        / nullif(cast({{ denominator }} as {{ dbt.type_float() }}), 0)
        as decimal(18, 6)
    )
{% endmacro %}
