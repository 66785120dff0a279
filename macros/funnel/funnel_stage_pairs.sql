{#-
    The (from_stage, to_stage) pairs of fct_stage_conversion: each open stage to the
    next one (negotiation -> closed_won last), and each open stage to closed_won.
    Returned as a list of dicts with from_stage, to_stage, is_next_stage and
    is_to_closed_won (negotiation -> closed_won is both).
-#}
{% macro funnel_stage_pairs() %}
    {%- set open_stages = crm_revenue.funnel_open_stages() -%}
    {%- set pairs = [] -%}
    {%- for stage in open_stages -%}
        {%- set next_stage = open_stages[loop.index] if not loop.last else 'closed_won' -%}
        {%- do pairs.append({'from_stage': stage, 'to_stage': next_stage,
                             'is_next_stage': true, 'is_to_closed_won': next_stage == 'closed_won'}) -%}
        {%- if next_stage != 'closed_won' -%}
            {%- do pairs.append({'from_stage': stage, 'to_stage': 'closed_won',
                                 'is_next_stage': false, 'is_to_closed_won': true}) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(pairs) }}
{% endmacro %}
