{#- 1 for the first copy of a raw row, 2+ for exact repeats of every contract column. -#}
{% macro exact_duplicate_rank(object_name) %}
    row_number() over (
        partition by
        {%- for column in crm_revenue.crm_export_contract(object_name)['columns'] %}
            {{ column | lower }}{% if not loop.last %},{% endif %}
        {%- endfor %}
        order by _raw_row_number
    )
{% endmacro %}
