-- One row per opportunity with its reporting dimensions side by side (opportunity type,
-- account industry, type and segment, owner, lead source): the dimension table BI tools
-- and the semantic layer join to. The values are those the waterfall breakdowns use
-- (int_opportunity_dimensions_unpivoted, long form), pivoted here, so a metric grouped by a
-- dimension equals fct_pipeline_waterfall_by_dimension.
with opportunities as (
    select
        opportunity_id,
        opportunity_type
    from {{ ref('stg_crm__opportunities') }}
),

dimensions as (
    select * from {{ ref('int_opportunity_dimensions_unpivoted') }}
),

pivoted as (
    select
        opportunity_id,
        max(case when dimension_name = 'account_industry' then dimension_value end) as account_industry,
        max(case when dimension_name = 'account_type' then dimension_value end) as account_type,
        max(case when dimension_name = 'account_segment' then dimension_value end) as account_segment,
        max(case when dimension_name = 'owner' then dimension_value end) as owner,
        max(case when dimension_name = 'lead_source' then dimension_value end) as lead_source
    from dimensions
    group by opportunity_id
),

final as (
    select
        -- ids
        opportunities.opportunity_id,
        -- dimensions ('(none)' when missing, as in the waterfall breakdowns)
        opportunities.opportunity_type,
        coalesce(pivoted.account_industry, '(none)') as account_industry,
        coalesce(pivoted.account_type, '(none)') as account_type,
        coalesce(pivoted.account_segment, '(none)') as account_segment,
        coalesce(pivoted.owner, '(none)') as owner,
        coalesce(pivoted.lead_source, '(none)') as lead_source
    from opportunities
    left join pivoted
        on opportunities.opportunity_id = pivoted.opportunity_id
)

select * from final
