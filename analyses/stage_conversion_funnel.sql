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
        sum(case when opportunity_type = 'acquisition' then converted end) as acquisition_converted,
        sum(case when opportunity_type = 'acquisition' then entered end) as acquisition_entered,
        round(
            100.0 * sum(case when opportunity_type = 'acquisition' then converted end)
            / sum(case when opportunity_type = 'acquisition' then entered end),
            1
        ) as acquisition_conversion_pct,
        sum(case when opportunity_type = 'retention' then converted end) as retention_converted,
        sum(case when opportunity_type = 'retention' then entered end) as retention_entered,
        round(
            100.0 * sum(case when opportunity_type = 'retention' then converted end)
            / sum(case when opportunity_type = 'retention' then entered end),
            1
        ) as retention_conversion_pct,
        sum(case when opportunity_type = 'upsell' then converted end) as upsell_converted,
        sum(case when opportunity_type = 'upsell' then entered end) as upsell_entered,
        round(
            100.0 * sum(case when opportunity_type = 'upsell' then converted end)
            / sum(case when opportunity_type = 'upsell' then entered end),
            1
        ) as upsell_conversion_pct,
        sum(case when opportunity_type = 'cross_sell' then converted end) as cross_sell_converted,
        sum(case when opportunity_type = 'cross_sell' then entered end) as cross_sell_entered,
        round(
            100.0 * sum(case when opportunity_type = 'cross_sell' then converted end)
            / sum(case when opportunity_type = 'cross_sell' then entered end),
            1
        ) as cross_sell_conversion_pct
    from pooled
    group by transition
)

select * from final
order by pair_order
