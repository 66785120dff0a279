{#-
    1 for the first copy of a raw row, 2+ for exact repeats of every contract column (in a
    dbt unit test, where the contract is not known, every row is its own first copy).
-#}
{% macro exact_duplicate_rank(object_name) %}
    {%- set columns = crm_revenue.crm_export_contract(object_name)['columns'] | map('lower') | list -%}
    row_number() over (
        partition by {{ (columns or ['_raw_row_number']) | join(', ') }}
        order by _raw_row_number
    )
{% endmacro %}
