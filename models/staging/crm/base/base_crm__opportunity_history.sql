-- Every raw opportunity_history row, typed, with the reason it cannot be used (if any).
with source_rows as (
    {{ crm_revenue.read_crm_export('opportunity_history') }}
),

opportunities as (
    select opportunity_id, rejection_reason
    from {{ ref('base_crm__opportunities') }}
),

parsed as (
    select
        source_rows.*,
        source_rows.id as opportunity_history_id,
        source_rows.opportunityid as opportunity_id,
        {{ crm_revenue.parse_timestamp('source_rows.createddate') }} as parsed_created_at,
        {{ crm_revenue.parse_amount('source_rows.amount') }} as parsed_amount,
        {{ crm_revenue.parse_date('source_rows.closedate') }} as parsed_close_date,
        {{ crm_revenue.parse_amount('source_rows.probability') }} as parsed_probability,
        {{ crm_revenue.parse_boolean('source_rows.isdeleted') }} as parsed_is_deleted,
        {{ crm_revenue.exact_duplicate_rank('opportunity_history') }} as exact_duplicate_rank,
        {{ crm_revenue.parent_opportunity_status('opportunities', 'source_rows.opportunityid') }}
            as parent_status
    from source_rows
),

-- history rows without an Id (some connectors drop it) are never duplicates of each other
{{ crm_revenue.rejection_steps(
    checks=[
        ['opportunityid is null', 'missing_opportunity_id'],
        ['parsed_created_at is null', 'unparseable_created_date'],
        [crm_revenue.is_unparseable('amount', 'parsed_amount'), 'unparseable_amount'],
        [crm_revenue.is_unparseable('closedate', 'parsed_close_date'), 'unparseable_close_date'],
        [crm_revenue.is_unparseable('probability', 'parsed_probability'), 'unparseable_probability'],
        [crm_revenue.is_unparseable('isdeleted', 'parsed_is_deleted'), 'unparseable_boolean'],
        ['exact_duplicate_rank > 1', 'exact_duplicate'],
        ['parent_status is null', 'unknown_opportunity'],
        ['parent_status = 1', 'opportunity_rejected']
    ],
    key="coalesce(id, cast(_raw_row_number as varchar))",
    modified_at="parsed_created_at",
    record_id="coalesce(id, opportunityid || '#' || cast(_raw_row_number as varchar))",
) }}

select * from final
