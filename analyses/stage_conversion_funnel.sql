-- The conversion funnel per opportunity type, matured cohorts pooled: one row per
-- transition (consecutive stages, and qualified -> closed_won), one column group per type.
with transitions as (
    select
        pair_order,
        from_stage || ' -> ' || to_stage as transition,
        opportunity_type,
        entered_count,
        converted_count
    from {{ ref('fct_stage_conversion') }}
    where
        not is_maturing
        and (is_next_stage or from_stage = 'qualified')
        and opportunity_type <> 'unknown'
),

pooled as (
    select
        transition,
        opportunity_type,
        min(pair_order) as pair_order,
        sum(entered_count) as entered,
        sum(converted_count) as converted
    from transitions
    group by transition, opportunity_type
),

final as (
    select
        transition,
        min(pair_order) as pair_order,
        {%- for type in ['acquisition', 'retention', 'upsell', 'cross_sell'] %}
        sum(case when opportunity_type = '{{ type }}' then converted end) as {{ type }}_converted,
        sum(case when opportunity_type = '{{ type }}' then entered end) as {{ type }}_entered,
        round(
            100.0 * sum(case when opportunity_type = '{{ type }}' then converted end)
            / sum(case when opportunity_type = '{{ type }}' then entered end),
            1
        ) as {{ type }}_conversion_pct{{ ',' if not loop.last }}
        {%- endfor %}
    from pooled
    group by transition
)

select * from final
order by pair_order
