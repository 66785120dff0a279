-- Grain and rules: _funnel__models.yml. First entries are the stage stamps' (visited or
-- passed), so entered_count equals fct_stage_conversion's for the same cohort; every
-- quarter x type x stage is listed so a chart shows zeros instead of gaps.
with entries as (
    select * from {{ ref('int_opportunity_stages_entered') }}
),

visits as (
    select * from {{ ref('int_opportunity_stage_visits') }}
),

opportunities as (
    select
        opportunity_id,
        opportunity_type,
        currency_conversion_rate
    from {{ ref('fct_opportunities') }}
    where status <> 'deleted'
),

calendar as (
    select * from {{ ref('int_fiscal_quarters') }}
),

stages as (
    {%- for stage in crm_revenue.funnel_stages() %}
    select
        '{{ stage }}' as canonical_stage,
        {{ loop.index }} as stage_order
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
),

first_entries as (
    select
        opportunities.opportunity_type,
        entries.canonical_stage,
        {{ crm_revenue.fiscal_quarter_start('entries.entered_at') }} as quarter_start_date,
        count(*) as entered_count,
        count(case when not entries.is_skipped then 1 end) as visited_count,
        count(case when entries.is_skipped then 1 end) as skipped_count,
        sum({{ crm_revenue.convert_to_corporate(
            'coalesce(entries.amount_at_entry, 0)', 'opportunities.currency_conversion_rate'
        ) }}) as entered_amount_corporate
    from entries
    inner join opportunities
        on entries.opportunity_id = opportunities.opportunity_id
    group by 1, 2, 3
),

revisits as (
    select
        opportunities.opportunity_type,
        visits.canonical_stage,
        {{ crm_revenue.fiscal_quarter_start('visits.entered_at') }} as quarter_start_date,
        count(*) as revisit_count
    from visits
    inner join opportunities
        on visits.opportunity_id = opportunities.opportunity_id
    where visits.is_revisit
    group by 1, 2, 3
),

reported_quarters as (
    select
        calendar.quarter_start_date,
        calendar.fiscal_quarter
    from calendar
    where
        calendar.quarter_start_date >= (select min(first_entries.quarter_start_date) from first_entries)
        and calendar.quarter_start_date <= {{ crm_revenue.fiscal_quarter_start(crm_revenue.as_of_date()) }}
),

opportunity_types as (
    select distinct opportunity_type from opportunities
),

spine as (
    select
        reported_quarters.quarter_start_date,
        reported_quarters.fiscal_quarter,
        opportunity_types.opportunity_type,
        stages.canonical_stage,
        stages.stage_order
    from reported_quarters
    cross join opportunity_types
    cross join stages
),

final as (
    select
        -- keys
        spine.quarter_start_date,
        spine.opportunity_type,
        spine.canonical_stage,
        -- descriptive
        spine.fiscal_quarter,
        spine.stage_order,
        -- counts
        coalesce(first_entries.entered_count, 0) as entered_count,
        coalesce(first_entries.visited_count, 0) as visited_count,
        coalesce(first_entries.skipped_count, 0) as skipped_count,
        coalesce(revisits.revisit_count, 0) as revisit_count,
        -- amounts (corporate currency, at entry)
        coalesce(first_entries.entered_amount_corporate, cast(0 as {{ crm_revenue.amount_type() }})) as entered_amount_corporate
    from spine
    left join first_entries
        on spine.quarter_start_date = first_entries.quarter_start_date
        and spine.opportunity_type = first_entries.opportunity_type
        and spine.canonical_stage = first_entries.canonical_stage
    left join revisits
        on spine.quarter_start_date = revisits.quarter_start_date
        and spine.opportunity_type = revisits.opportunity_type
        and spine.canonical_stage = revisits.canonical_stage
)

select * from final
