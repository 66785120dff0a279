{#- The first instant after `as_of_date`: events at or after it are not yet known. -#}
{% macro as_of_cutoff() %}
    cast({{ dbt.dateadd('day', 1, crm_revenue.as_of_date()) }} as {{ dbt.type_timestamp() }})
{% endmacro %}
