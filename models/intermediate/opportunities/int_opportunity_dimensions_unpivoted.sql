-- One row per opportunity and reporting dimension (long form), for breakdowns of the
-- waterfall: account industry, account type, account segment (by employees), owner and
-- lead source. Missing exports or values show as '(none)'. The owner is a person: shown
-- as the salted owner_key (person_key), never by name.
with opportunities as (
    select * from {{ ref('stg_crm__opportunities') }}
),

accounts as (
    select * from {{ ref('stg_crm__accounts') }}
),

attributes as (
    select
        opportunities.opportunity_id,
        accounts.industry as account_industry,
        accounts.account_type,
        case
            when accounts.number_of_employees is null then null
            when accounts.number_of_employees < 100 then 'SMB (<100)'
            when accounts.number_of_employees < 1000 then 'Mid-market (100-999)'
            else 'Enterprise (1000+)'
        end as account_segment,
        {{ crm_revenue.person_key('opportunities.owner_id') }} as owner,
        opportunities.lead_source
    from opportunities
    left join accounts
        on opportunities.account_id = accounts.account_id
),

final as (
    {%- for dimension in ['account_industry', 'account_type', 'account_segment', 'owner', 'lead_source'] %}
    select
        opportunity_id,
        '{{ dimension }}' as dimension_name,
        coalesce({{ dimension }}, '(none)') as dimension_value
    from attributes
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
)

select * from final
