-- Grain and rules: _funnel__models.yml. The cohort is the first entry into the from-stage
-- so backward moves and revisits never count twice, and skipped stages count as passed so
-- the rates multiply along the funnel. Amounts are taken at entry: lost deals are often
-- zeroed at close.
{%- set maturing_quarters = var('maturing_cohort_quarters', 2) | int %}

with entries as (
    select * from {{ ref('int_opportunity_stages_entered') }}
),

opportunities as (
    select
        opportunity_id,
        opportunity_type,
        status,
        currency_conversion_rate
    from {{ ref('fct_opportunities') }}
    where status <> 'deleted'
),

calendar as (
    select
        quarter_start_date,
        fiscal_quarter
    from {{ ref('int_fiscal_quarters') }}
),

pairs as (
    {%- for pair in crm_revenue.funnel_stage_pairs() %}
    select
        '{{ pair.from_stage }}' as from_stage,
        '{{ pair.to_stage }}' as to_stage,
        {{ loop.index }} as pair_order,
        {{ pair.is_next_stage }} as is_next_stage,
        {{ pair.is_to_closed_won }} as is_to_closed_won
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
),

pair_outcomes as (
    select
        opportunities.opportunity_id,
        opportunities.opportunity_type,
        pairs.from_stage,
        pairs.to_stage,
        pairs.pair_order,
        pairs.is_next_stage,
        pairs.is_to_closed_won,
        from_entries.stage_order as from_stage_order,
        from_entries.entered_at as from_entered_at,
        to_entries.entered_at as to_entered_at,
        {{ crm_revenue.fiscal_quarter_start('from_entries.entered_at') }} as cohort_quarter_start_date,
        {{ crm_revenue.convert_to_corporate(
            'coalesce(from_entries.amount_at_entry, 0)', 'opportunities.currency_conversion_rate'
        ) }} as entered_amount_corporate,
        to_entries.opportunity_id is not null as is_converted,
        to_entries.opportunity_id is null and opportunities.status = 'lost' as is_lost,
        to_entries.opportunity_id is null and opportunities.status <> 'lost' as is_still_open,
        case
            when to_entries.opportunity_id is not null
                then {{ dbt.datediff('from_entries.entered_at', 'to_entries.entered_at', 'day') }}
        end as days_to_convert
    from opportunities
    inner join entries as from_entries
        on opportunities.opportunity_id = from_entries.opportunity_id
    inner join pairs
        on from_entries.canonical_stage = pairs.from_stage
    left join entries as to_entries
        on from_entries.opportunity_id = to_entries.opportunity_id
        and pairs.to_stage = to_entries.canonical_stage
),

cohorts as (
    select
        opportunity_type,
        cohort_quarter_start_date,
        from_stage,
        to_stage,
        pair_order,
        from_stage_order,
        is_next_stage,
        is_to_closed_won,
        count(*) as entered_count,
        sum(entered_amount_corporate) as entered_amount_corporate,
        count(case when is_converted then 1 end) as converted_count,
        sum(case when is_converted then entered_amount_corporate else 0 end) as converted_amount_corporate,
        count(case when is_lost then 1 end) as lost_count,
        count(case when is_still_open then 1 end) as still_open_count,
        {{ crm_revenue.percentile_continuous('days_to_convert', 0.5) }} as median_days_to_convert,
        {{ crm_revenue.percentile_continuous('days_to_convert', 0.75) }} as p75_days_to_convert
    from pair_outcomes
    group by
        opportunity_type, cohort_quarter_start_date, from_stage, to_stage,
        pair_order, from_stage_order, is_next_stage, is_to_closed_won
),

final as (
    select
        -- keys
        cohorts.opportunity_type,
        cohorts.cohort_quarter_start_date,
        cohorts.from_stage,
        cohorts.to_stage,
        -- descriptive
        calendar.fiscal_quarter as cohort_fiscal_quarter,
        cohorts.pair_order,
        cohorts.from_stage_order,
        cohorts.is_next_stage,
        cohorts.is_to_closed_won,
        -- counts
        cohorts.entered_count,
        cohorts.converted_count,
        cohorts.lost_count,
        cohorts.still_open_count,
        -- amounts (corporate currency, at from-stage entry)
        cohorts.entered_amount_corporate,
        cohorts.converted_amount_corporate,
        -- rates
        {{ crm_revenue.safe_ratio('cohorts.converted_count', 'cohorts.entered_count') }} as count_conversion_rate,
        {{ crm_revenue.safe_ratio('cohorts.converted_amount_corporate', 'cohorts.entered_amount_corporate') }}
            as amount_conversion_rate,
        -- velocity (days from from-stage entry to to-stage entry, converted only)
        cohorts.median_days_to_convert,
        cohorts.p75_days_to_convert,
        -- flags: the as-of quarter and the quarters just before it are still converting
        cohorts.cohort_quarter_start_date >= {{ crm_revenue.fiscal_quarter_start(
            crm_revenue.as_of_date(), quarters_after=1 - maturing_quarters) }}
            as is_maturing
    from cohorts
    left join calendar
        on cohorts.cohort_quarter_start_date = calendar.quarter_start_date
)

select * from final
