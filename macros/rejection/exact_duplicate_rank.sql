{#-
    1 for the first copy of a raw row, 2+ for exact repeats of every contract column (and of
    `extra_columns`, e.g. the validity interval of a version). In a dbt unit test, where the
    contract is not known, every row is its own first copy.
-#}
{% macro exact_duplicate_rank(object_name, extra_columns=[]) %}
    {%- set columns = crm_revenue.crm_export_contract(object_name)['columns'] | map('lower') | list -%}
    row_number() over (
        partition by {{ (columns + extra_columns if columns else ['_raw_row_number']) | join(', ') }}
        order by _raw_row_number
    )
{% endmacro %}
