-- One row per usable opportunity (the most recently modified record per Id), typed,
-- with its CRM type mapped to an opportunity type (unknown when unmapped).
-- Built only once the reject-rate gate on audit_reject_shares has passed.
-- depends_on: {{ ref('audit_reject_shares') }}
with opportunities as (
    select * from {{ ref('base_crm__opportunities') }}
    where rejection_reason is null
),

type_mapping as (
    select
        lower(trim(crm_type)) as crm_type_key,
        opportunity_type
    from {{ ref('opportunity_type_mapping') }}
),

final as (
    select
        -- ids
        opportunities.opportunity_id,
        opportunities.accountid as account_id,
        opportunities.ownerid as owner_id,
        -- descriptive
        opportunities.name as opportunity_name,
        opportunities.type as crm_type,
        coalesce(type_mapping.opportunity_type, 'unknown') as opportunity_type,
        type_mapping.opportunity_type is null as is_unmapped_type,
        opportunities.stagename as stage_name,
        opportunities.leadsource as lead_source,
        nullif(trim(opportunities.leadsource), '') as lead_source_cleaned,
        lower(nullif(trim(opportunities.leadsource), '')) as lead_source_key,
        opportunities.forecastcategoryname as forecast_category,
        -- amounts
        opportunities.parsed_amount as amount,
        opportunities.currency_iso_code,
        opportunities.parsed_probability as probability,
        -- dates
        opportunities.parsed_close_date as close_date,
        opportunities.parsed_created_at as created_at,
        coalesce(opportunities.parsed_last_modified_at, opportunities.parsed_created_at)
            as last_modified_at,
        -- columns passed through by the passthrough_columns var
        {%- for column in crm_revenue.passthrough_columns('opportunity') %}
        opportunities.{{ column }},
        {%- endfor %}
        -- flags
        coalesce(opportunities.parsed_is_closed, false) as is_closed,
        coalesce(opportunities.parsed_is_won, false) as is_won,
        coalesce(opportunities.parsed_is_deleted, false) or coalesce(opportunities.parsed_is_source_deleted, false)
            as is_deleted
    from opportunities
    left join type_mapping
        on lower(trim(opportunities.type)) = type_mapping.crm_type_key
)

select * from final
