-- One row per usable user (optional export; empty when absent).
-- Built only once the reject-rate gate on audit_reject_shares has passed.
-- depends_on: {{ ref('audit_reject_shares') }}
with users as (
    select * from {{ ref('base_crm__users') }}
    where rejection_reason is null
),

final as (
    select
        id as user_id,
        name as user_name,
        userroleid as user_role_id,
        -- columns passed through by the passthrough_columns var
        {%- for column in crm_revenue.passthrough_columns('user') %}
        users.{{ column }},
        {%- endfor %}
        managerid as manager_id
    from users
)

select * from final
