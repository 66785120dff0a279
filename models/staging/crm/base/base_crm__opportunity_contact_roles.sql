-- Every raw opportunity_contact_role row, typed, with the reason it cannot be used (if any).
with source_rows as (
    {{ crm_revenue.read_crm_export('opportunity_contact_role') }}
),

opportunities as (
    select opportunity_id, rejection_reason
    from {{ ref('base_crm__opportunities') }}
),

parsed as (
    select
        source_rows.*,
        coalesce(source_rows.id, source_rows.opportunityid || ':' || source_rows.contactid)
            as opportunity_contact_role_id,
        {{ crm_revenue.parse_timestamp('source_rows.createddate') }} as parsed_created_at,
        {{ crm_revenue.parse_boolean('source_rows.isprimary') }} as parsed_is_primary,
        {{ crm_revenue.parse_boolean('source_rows.isdeleted') }} as parsed_is_deleted,
        {{ crm_revenue.exact_duplicate_rank('opportunity_contact_role') }} as exact_duplicate_rank,
        {{ crm_revenue.parent_opportunity_status('opportunities', 'source_rows.opportunityid') }}
            as parent_status
    from source_rows
),

{{ crm_revenue.rejection_steps(
    checks=[
        ['opportunityid is null', 'missing_opportunity_id'],
        ['contactid is null', 'missing_contact_id'],
        [crm_revenue.is_unparseable('createddate', 'parsed_created_at'), 'unparseable_created_date'],
        [crm_revenue.is_unparseable('isprimary', 'parsed_is_primary') ~ ' or '
                ~ crm_revenue.is_unparseable('isdeleted', 'parsed_is_deleted'), 'unparseable_boolean'],
        ['exact_duplicate_rank > 1', 'exact_duplicate'],
        ['parent_status is null', 'unknown_opportunity'],
        ['parent_status = 1', 'opportunity_rejected']
    ],
    key="opportunity_contact_role_id",
    modified_at="parsed_created_at",
    record_id="opportunity_contact_role_id",
) }}

select * from final
