-- Grain and rules: _funnel__models.yml. Buying groups come from fct_opportunities so the
-- two marts cannot disagree on who was in a deal.
{%- set breakdowns = {
    'size_bucket': ['0', '1-2', '3-5', '6+'],
    'role_coverage': ['decision_maker_and_economic_buyer', 'decision_maker_only', 'economic_buyer_only', 'neither'],
} %}

with opportunities as (
    select * from {{ ref('fct_opportunities') }}
    where status <> 'deleted'
),

bucketed as (
    select
        opportunity_type,
        'size_bucket' as breakdown,
        buying_group_size_bucket as bucket,
        status,
        is_qualified,
        contact_count
    from opportunities
    union all
    select
        opportunity_type,
        'role_coverage' as breakdown,
        role_coverage as bucket,
        status,
        is_qualified,
        contact_count
    from opportunities
),

all_types as (
    select * from bucketed
    union all
    select
        'all' as opportunity_type,
        breakdown,
        bucket,
        status,
        is_qualified,
        contact_count
    from bucketed
),

buckets as (
    {%- for breakdown, bucket_values in breakdowns.items() %}
    {%- set outer_loop = loop %}
    {%- for bucket in bucket_values %}
    select
        '{{ breakdown }}' as breakdown,
        '{{ bucket }}' as bucket,
        {{ loop.index }} as bucket_order
    {%- if not (outer_loop.last and loop.last) %}
    union all
    {%- endif %}
    {%- endfor %}
    {%- endfor %}
),

opportunity_types as (
    select distinct opportunity_type from all_types
),

spine as (
    select
        opportunity_types.opportunity_type,
        buckets.breakdown,
        buckets.bucket,
        buckets.bucket_order
    from opportunity_types
    cross join buckets
),

aggregated as (
    select
        opportunity_type,
        breakdown,
        bucket,
        count(*) as opportunity_count,
        count(case when is_qualified then 1 end) as qualified_count,
        count(case when status = 'won' then 1 end) as won_count,
        count(case when status = 'lost' then 1 end) as lost_count,
        count(case when status = 'open' then 1 end) as open_count,
        avg(contact_count) as average_contact_count
    from all_types
    group by opportunity_type, breakdown, bucket
),

final as (
    select
        -- keys
        spine.opportunity_type,
        spine.breakdown,
        spine.bucket,
        -- descriptive
        spine.bucket_order,
        -- counts
        coalesce(aggregated.opportunity_count, 0) as opportunity_count,
        coalesce(aggregated.qualified_count, 0) as qualified_count,
        coalesce(aggregated.won_count, 0) as won_count,
        coalesce(aggregated.lost_count, 0) as lost_count,
        coalesce(aggregated.open_count, 0) as open_count,
        cast(aggregated.average_contact_count as decimal(18, 2)) as average_contact_count,
        -- rates
        {{ crm_revenue.safe_ratio('aggregated.qualified_count', 'aggregated.opportunity_count') }}
            as qualification_rate,
        {{ crm_revenue.safe_ratio('aggregated.won_count', 'aggregated.opportunity_count') }}
            as conversion_to_won_rate,
        {{ crm_revenue.safe_ratio('aggregated.won_count', 'aggregated.won_count + aggregated.lost_count') }}
            as win_rate
    from spine
    left join aggregated
        on spine.opportunity_type = aggregated.opportunity_type
        and spine.breakdown = aggregated.breakdown
        and spine.bucket = aggregated.bucket
)

select * from final
