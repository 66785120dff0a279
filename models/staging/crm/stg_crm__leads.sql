-- One row per usable lead (the latest record per Id).
-- Built only once the reject-rate gate on audit_reject_shares has passed.
-- depends_on: {{ ref('audit_reject_shares') }}
with leads as (
    select * from {{ ref('base_crm__leads') }}
    where rejection_reason is null
),

final as (
    select
        -- ids
        lead_id,
        convertedopportunityid as converted_opportunity_id,
        convertedcontactid as converted_contact_id,
        convertedaccountid as converted_account_id,
        ownerid as owner_id,
        -- descriptive
        status as lead_status,
        leadsource as lead_source,
        nullif(trim(leadsource), '') as lead_source_cleaned,
        lower(nullif(trim(leadsource), '')) as lead_source_key,
        email,
        company,
        -- dates
        parsed_created_at as created_at,
        parsed_converted_at as converted_at,
        parsed_mql_at as mql_at,
        parsed_sal_at as sal_at,
        -- the MQL / SAL dates known by the end of as_of_date (later ones are not known yet)
        case when parsed_mql_at < {{ crm_revenue.as_of_cutoff() }} then parsed_mql_at end as known_mql_at,
        case when parsed_sal_at < {{ crm_revenue.as_of_cutoff() }} then parsed_sal_at end as known_sal_at,
        -- columns passed through by the passthrough_columns var
        {%- for column in crm_revenue.passthrough_columns('lead') %}
        leads.{{ column }},
        {%- endfor %}
        -- flags
        coalesce(parsed_is_converted, convertedopportunityid is not null) as is_converted,
        coalesce(parsed_is_deleted, false) or coalesce(parsed_is_source_deleted, false)
            as is_deleted
    from leads
)

select * from final
