-- One row per usable account (optional export; empty when absent).
-- Built only once the reject-rate gate on audit_reject_shares has passed.
-- depends_on: {{ ref('audit_reject_shares') }}
with accounts as (
    select * from {{ ref('base_crm__accounts') }}
    where rejection_reason is null
),

final as (
    select
        id as account_id,
        name as account_name,
        type as account_type,
        industry,
        billingcountry as billing_country,
        -- columns passed through by the passthrough_columns var
        {%- for column in crm_revenue.passthrough_columns('account') %}
        accounts.{{ column }},
        {%- endfor %}
        parsed_number_of_employees as number_of_employees
    from accounts
)

select * from final
