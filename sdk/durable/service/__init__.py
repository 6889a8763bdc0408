"""The service side: where checkpoints go. `lambda_api` speaks the Lambda
durable-execution API through boto3; `engine` is an in-process engine with the
service's validation rules, on a virtual or real clock."""
