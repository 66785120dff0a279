-- The quality gate's input: per CRM object, the share of its export rows rejected (not
-- counting duplicates, which lose nothing), the configured limit and the top reasons.
-- Reads only the base models and audit_rejected_rows, so it is built even when the gate
-- (assert_reject_shares_within_limits) then stops everything downstream of staging.
with rejected as (
    select
        source_object,
        rejection_reason,
        {{ crm_revenue.is_duplicate_rejection('rejection_reason') }} as is_duplicate,
        count(*) as rejected_rows
    from {{ ref('audit_rejected_rows') }}
    group by source_object, rejection_reason
),

raw_counts as (
    {%- for object_name, model_name in crm_revenue.crm_base_models().items() %}
    select
        '{{ object_name }}' as source_object,
        (select count(*) from {{ ref(model_name) }}) as raw_rows,
        cast({{ crm_revenue.max_reject_share(object_name) }} as decimal(9, 6)) as max_reject_share
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
),

ranked_reasons as (
    select
        *,
        row_number() over (
            partition by source_object order by rejected_rows desc, rejection_reason asc
        ) as reason_rank
    from rejected
    where not is_duplicate
),

top_reasons as (
    select
        source_object,
        {{ dbt.listagg(
            "rejection_reason || ' ' || cast(rejected_rows as " ~ dbt.type_string() ~ ")",
            "', '",
            "order by reason_rank") }} as top_reasons
    from ranked_reasons
    where reason_rank <= 3
    group by source_object
),

per_object as (
    select
        source_object,
        sum(rejected_rows) as rejected_rows,
        sum(case when is_duplicate then rejected_rows else 0 end) as duplicate_rows
    from rejected
    group by source_object
),

final as (
    select
        raw_counts.source_object,
        raw_counts.raw_rows,
        coalesce(per_object.rejected_rows, 0) as rejected_rows,
        coalesce(per_object.duplicate_rows, 0) as duplicate_rows,
        coalesce(per_object.rejected_rows - per_object.duplicate_rows, 0) as counted_rejected_rows,
        case
            when raw_counts.raw_rows = 0 then cast(0 as decimal(9, 6))
            else cast(
                coalesce(per_object.rejected_rows - per_object.duplicate_rows, 0) * 1.0
                / raw_counts.raw_rows as decimal(9, 6)
            )
        end as reject_share,
        raw_counts.max_reject_share,
        coalesce(per_object.rejected_rows - per_object.duplicate_rows, 0)
        <= raw_counts.max_reject_share * raw_counts.raw_rows as is_within_limit,
        top_reasons.top_reasons
    from raw_counts
    left join per_object
        on raw_counts.source_object = per_object.source_object
    left join top_reasons
        on raw_counts.source_object = top_reasons.source_object
)

select * from final
