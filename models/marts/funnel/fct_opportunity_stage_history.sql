-- Grain and columns: _funnel__models.yml. A thin mart over int_opportunity_stage_visits,
-- which the stage stamps are built on too, so history and stamps agree.
with visits as (
    select * from {{ ref('int_opportunity_stage_visits') }}
),

calendar as (
    select
        quarter_start_date,
        fiscal_quarter
    from {{ ref('int_fiscal_quarters') }}
),

final as (
    select
        -- ids
        visits.stage_visit_id,
        visits.opportunity_id,
        visits.visit_sequence,
        visits.stage_visit_number,
        visits.opportunity_type,
        -- stage
        visits.canonical_stage,
        visits.stage_order,
        visits.stage_group,
        visits.previous_canonical_stage,
        visits.next_canonical_stage,
        visits.move_direction,
        -- dates
        visits.entered_at,
        entered_quarters.fiscal_quarter as entered_fiscal_quarter,
        visits.exited_at,
        visits.days_in_stage,
        -- amounts (record currency)
        visits.amount_at_entry,
        visits.currency_iso_code,
        visits.close_date_at_entry,
        -- flags
        visits.is_revisit,
        visits.is_current_visit,
        visits.is_deleted_opportunity
    from visits
    left join calendar as entered_quarters
        on {{ crm_revenue.fiscal_quarter_start('visits.entered_at') }} = entered_quarters.quarter_start_date
)

select * from final
