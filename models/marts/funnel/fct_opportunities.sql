-- Grain and columns: _funnel__models.yml. Everything is read from the opportunity
-- timeline (int_opportunity_states) and its funnel models, so it agrees with the waterfall.
{%- set stages = crm_revenue.funnel_stages() %}
{%- set open_stages = crm_revenue.funnel_open_stages() %}

with opportunities as (
    select * from {{ ref('stg_crm__opportunities') }}
),

current_states as (
    select * from {{ ref('int_opportunity_states') }}
    where is_current_state
),

stamps as (
    select * from {{ ref('int_opportunity_stages_pivoted') }}
),

attributions as (
    select * from {{ ref('int_opportunities_attributed') }}
),

buying_groups as (
    select * from {{ ref('int_opportunity_contact_roles_grouped') }}
),

rates as (
    select * from {{ ref('stg_crm__dated_conversion_rates') }}
),

calendar as (
    select
        quarter_start_date,
        fiscal_quarter
    from {{ ref('int_fiscal_quarters') }}
),

close_date_rates as (
    -- the dated rate valid on the current close date; without one covering that day,
    -- the latest rate starting before it, else the earliest one
    select
        current_states.opportunity_id,
        rates.currency_conversion_rate,
        row_number() over (
            partition by current_states.opportunity_id
            order by {{ crm_revenue.conversion_rate_preference('rates', 'current_states.close_date') }}
        ) as preference
    from current_states
    inner join rates
        on current_states.currency_iso_code = rates.currency_iso_code
),

statuses as (
    select
        current_states.*,
        case
            when current_states.is_deleted then 'deleted'
            when current_states.stage_group = 'won' then 'won'
            when current_states.stage_group = 'lost' then 'lost'
            else 'open'
        end as status,
        {{ crm_revenue.corporate_currency_rate(
            'current_states.currency_iso_code', 'close_date_rates.currency_conversion_rate'
        ) }} as currency_conversion_rate
    from current_states
    left join close_date_rates
        on current_states.opportunity_id = close_date_rates.opportunity_id
        and close_date_rates.preference = 1
),

valued_states as (
    select
        *,
        {{ crm_revenue.convert_to_corporate('amount', 'coalesce(currency_conversion_rate, 1)') }}
            as amount_corporate
    from statuses
),

final as (
    select
        -- ids
        opportunities.opportunity_id,
        opportunities.account_id,
        {{ crm_revenue.person_key('opportunities.owner_id') }} as owner_key,
        opportunities.opportunity_name,
        -- columns passed through by the passthrough_columns var
        {%- for column in crm_revenue.passthrough_columns('opportunity') %}
        opportunities.{{ column }},
        {%- endfor %}
        -- type
        opportunities.opportunity_type,
        opportunities.crm_type,
        -- current state
        valued_states.stage_name,
        valued_states.canonical_stage,
        valued_states.stage_order,
        valued_states.stage_group,
        valued_states.status,
        valued_states.stage_probability,
        -- amounts
        valued_states.amount,
        valued_states.currency_iso_code,
        coalesce(valued_states.currency_conversion_rate, cast(1 as {{ crm_revenue.rate_type() }}))
            as currency_conversion_rate,
        valued_states.amount_corporate,
        cast(valued_states.amount_corporate * valued_states.stage_probability as {{ crm_revenue.amount_type() }})
            as weighted_amount_corporate,
        -- dates and fiscal quarters
        opportunities.created_at,
        created_quarters.fiscal_quarter as created_fiscal_quarter,
        stamps.qualified_at,
        qualified_quarters.fiscal_quarter as qualified_fiscal_quarter,
        stamps.closed_at,
        closed_quarters.fiscal_quarter as closed_fiscal_quarter,
        valued_states.close_date,
        close_date_quarters.fiscal_quarter as close_date_fiscal_quarter,
        -- stage date stamps
        {%- for stage in stages %}
        stamps.{{ stage }}_entered_at,
        stamps.{{ stage }}_skipped,
        {%- endfor %}
        -- moves
        stamps.stage_visit_count,
        stamps.backward_move_count,
        stamps.reopen_count,
        -- days
        {%- for stage in open_stages %}
        stamps.days_in_{{ stage }},
        {%- endfor %}
        case
            when stamps.closed_at is not null and not valued_states.is_deleted
                then {{ dbt.datediff('opportunities.created_at', 'stamps.closed_at', 'day') }}
        end as sales_cycle_days,
        -- source attribution
        {{ crm_revenue.person_key('attributions.converted_lead_id') }} as converted_lead_key,
        attributions.converted_lead_count,
        attributions.converted_lead_source,
        attributions.lead_mql_at,
        attributions.lead_sal_at,
        attributions.opportunity_lead_source,
        attributions.attributed_lead_source,
        attributions.lead_source_origin,
        attributions.is_marketing_sourced,
        -- buying group
        buying_groups.contact_count,
        buying_groups.distinct_role_count,
        buying_groups.buying_group_size_bucket,
        buying_groups.role_coverage,
        buying_groups.has_primary_contact,
        buying_groups.has_decision_maker,
        buying_groups.has_economic_buyer,
        buying_groups.contacts_before_qualified_count,
        buying_groups.contacts_added_after_close_count,
        -- flags
        valued_states.is_deleted,
        stamps.qualified_at is not null as is_qualified,
        valued_states.is_unmapped_stage,
        valued_states.currency_conversion_rate is null as is_missing_conversion_rate
    from opportunities
    inner join valued_states
        on opportunities.opportunity_id = valued_states.opportunity_id
    inner join stamps
        on opportunities.opportunity_id = stamps.opportunity_id
    left join attributions
        on opportunities.opportunity_id = attributions.opportunity_id
    left join buying_groups
        on opportunities.opportunity_id = buying_groups.opportunity_id
    left join calendar as created_quarters
        on {{ crm_revenue.fiscal_quarter_start('opportunities.created_at') }} = created_quarters.quarter_start_date
    left join calendar as qualified_quarters
        on {{ crm_revenue.fiscal_quarter_start('stamps.qualified_at') }} = qualified_quarters.quarter_start_date
    left join calendar as closed_quarters
        on {{ crm_revenue.fiscal_quarter_start('stamps.closed_at') }} = closed_quarters.quarter_start_date
    left join calendar as close_date_quarters
        on {{ crm_revenue.fiscal_quarter_start('valued_states.close_date') }} = close_date_quarters.quarter_start_date
)

select * from final
