-- Every raw opportunity_history row, typed, with the reason it cannot be used (if any).
with source_rows as (
    {{ crm_revenue.read_crm_export('opportunity_history') }}
),

parent_records as (
    -- opportunity records (scd2: versions) with their rejection reason
    select
        opportunity_id,
        rejection_reason
    from {{ ref('base_crm__opportunities') }}
    union all
    select
        opportunity_id,
        rejection_reason
    from {{ ref('base_crm__opportunity_versions') }}
),

parent_opportunities as (
    -- one row per opportunity Id: is any of its records kept by staging?
    select
        opportunity_id,
        max(case when rejection_reason is null then 1 else 0 end) = 1 as is_kept
    from parent_records
    where opportunity_id is not null
    group by opportunity_id
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
        {{ crm_revenue.parse_boolean('source_rows._source_deleted') }} as parsed_is_source_deleted,
        {{ crm_revenue.exact_duplicate_rank('opportunity_history') }} as exact_duplicate_rank,
        parent_opportunities.is_kept as is_parent_kept
    from source_rows
    left join parent_opportunities
        on source_rows.opportunityid = parent_opportunities.opportunity_id
),

checked as (
    select
        *,
        case
            when opportunityid is null then 'missing_opportunity_id'
            when parsed_created_at is null then 'unparseable_created_date'
            when {{ crm_revenue.is_unparseable('amount', 'parsed_amount') }} then 'unparseable_amount'
            when parsed_amount < 0 then 'negative_amount'
            when {{ crm_revenue.is_unparseable('closedate', 'parsed_close_date') }} then 'unparseable_close_date'
            when {{ crm_revenue.is_unparseable('probability', 'parsed_probability') }} then 'unparseable_probability'
            when
                {{ crm_revenue.is_unparseable('isdeleted', 'parsed_is_deleted') }}
                or {{ crm_revenue.is_unparseable('_source_deleted', 'parsed_is_source_deleted') }}
                then 'unparseable_boolean'
            when exact_duplicate_rank > 1 then 'exact_duplicate'
            when is_parent_kept is null then 'unknown_opportunity'
            when not is_parent_kept then 'opportunity_rejected'
        end as pending_reason
    from parsed
),

ranked as (
    select
        *,
        -- history rows without an Id (some connectors drop it) are never duplicates of each other
        {{ crm_revenue.latest_record_rank(
            'coalesce(id, cast(_raw_row_number as ' ~ dbt.type_string() ~ '))', 'parsed_created_at') }}
            as record_rank
    from checked
),

final as (
    select
        *,
        coalesce(
            pending_reason,
            case when record_rank > 1 then 'duplicate_id_superseded' end
        ) as rejection_reason,
        coalesce(id, opportunityid || '#' || cast(_raw_row_number as {{ dbt.type_string() }})) as record_id
    from ranked
)

select * from final
