{#-
    Aggregates fct_pipeline_movements rows into the waterfall columns (to be used with
    a GROUP BY): every element, every value-change cause, the start/end splits, the
    weighted start/end and the opportunity counts. The waterfall is only ever this sum.
-#}
{% macro waterfall_sums() %}
    {%- set columns = crm_revenue.waterfall_columns() -%}
    {%- for element in columns['elements'] %}
    sum(case when element = '{{ element }}' then amount_corporate else 0 end) as {{ element }},
    {%- endfor %}
    {%- for part in columns['value_change_parts'] %}
    sum(case when element = 'value_change' and sub_element = '{{ part }}' then amount_corporate else 0 end)
        as {{ part }},
    {%- endfor %}
    {%- for split in columns['splits'] %}
    {%- set element, part = split.split('_pipeline_') %}
    sum(case when element = '{{ element }}_pipeline' and sub_element = '{{ part }}' then amount_corporate else 0 end)
        as {{ split }},
    {%- endfor %}
    sum(case when element = 'starting_pipeline' then weighted_amount_corporate else 0 end) as weighted_starting_pipeline,
    sum(case when element = 'ending_pipeline' then weighted_amount_corporate else 0 end) as weighted_ending_pipeline,
    {%- for element, name in columns['counts'].items() %}
    count(distinct case when element = '{{ element }}' then opportunity_id end) as {{ name }}
    {%- if not loop.last %},{% endif %}
    {%- endfor %}
{% endmacro %}
