-- One row per opportunity: where it came from. The attributed lead is the lead
-- converted into it (ConvertedOpportunityId); when several were, the earliest
-- converted (then the earliest created, then the lowest Id). Deleted leads and
-- conversions after as_of_date are ignored. The attributed lead source is that
-- lead's source, else the opportunity's own LeadSource; is_marketing_sourced looks
-- it up in the marketing_lead_sources seed (unlisted or empty: false).
with opportunities as (
    select * from {{ ref('stg_crm__opportunities') }}
),

leads as (
    select * from {{ ref('stg_crm__leads') }}
),

marketing_lead_sources as (
    select
        lower(trim(lead_source)) as lead_source_key,
        is_marketing_sourced
    from {{ crm_revenue.mapping_relation('marketing_lead_sources', var('crm_marketing_lead_sources', none)) }}
),

converted_leads as (
    select
        lead_id,
        converted_opportunity_id as opportunity_id,
        lead_source,
        lead_source_cleaned,
        lead_source_key,
        created_at,
        coalesce(converted_at, created_at) as converted_at,
        known_mql_at as mql_at,
        known_sal_at as sal_at,
        row_number() over (
            partition by converted_opportunity_id
            order by coalesce(converted_at, created_at), created_at, lead_id
        ) as conversion_rank,
        count(*) over (partition by converted_opportunity_id) as converted_lead_count
    from leads
    where
        not is_deleted
        and converted_opportunity_id is not null
        and coalesce(converted_at, created_at) < {{ crm_revenue.as_of_cutoff() }}
),

attributed_leads as (
    select *
    from converted_leads
    where conversion_rank = 1
),

attributions as (
    select
        opportunities.opportunity_id,
        attributed_leads.lead_id as converted_lead_id,
        coalesce(attributed_leads.converted_lead_count, 0) as converted_lead_count,
        attributed_leads.lead_source as converted_lead_source,
        attributed_leads.created_at as lead_created_at,
        attributed_leads.converted_at as lead_converted_at,
        attributed_leads.mql_at as lead_mql_at,
        attributed_leads.sal_at as lead_sal_at,
        opportunities.lead_source as opportunity_lead_source,
        case
            when attributed_leads.lead_source_cleaned is not null then 'converted_lead'
            when opportunities.lead_source_cleaned is not null then 'opportunity'
            else 'none'
        end as lead_source_origin,
        coalesce(attributed_leads.lead_source_cleaned, opportunities.lead_source_cleaned) as attributed_lead_source,
        coalesce(attributed_leads.lead_source_key, opportunities.lead_source_key) as attributed_lead_source_key
    from opportunities
    left join attributed_leads
        on opportunities.opportunity_id = attributed_leads.opportunity_id
),

final as (
    select
        -- ids
        attributions.opportunity_id,
        attributions.converted_lead_id,
        -- lead
        attributions.converted_lead_count,
        attributions.converted_lead_source,
        attributions.lead_created_at,
        attributions.lead_converted_at,
        attributions.lead_mql_at,
        attributions.lead_sal_at,
        -- source
        attributions.opportunity_lead_source,
        attributions.attributed_lead_source,
        attributions.lead_source_origin,
        coalesce(marketing_lead_sources.is_marketing_sourced, false) as is_marketing_sourced
    from attributions
    left join marketing_lead_sources
        on attributions.attributed_lead_source_key = marketing_lead_sources.lead_source_key
)

select * from final
